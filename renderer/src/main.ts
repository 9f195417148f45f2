import { createApp } from 'vue'
import App from './App.vue'
import { connectApi } from './bridge'
import { provideApi } from './composables/useApi'
import { createJobsStore, provideJobs } from './composables/useJobs'
import { createAppI18n } from './i18n'
import { createAppRouter } from './router'
import './styles.css'

const api = connectApi()
const app = createApp(App)
provideApi(app, api)
provideJobs(app, createJobsStore(api))
app.use(createAppRouter())
app.use(createAppI18n())
app.mount('#app')
