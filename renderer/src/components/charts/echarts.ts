/**
 * The one place the chart components register ECharts parts: the canvas renderer only (the SVG
 * renderer and HTML tooltips would need inline styles the page's CSP forbids) and the charts and
 * components they use.
 */
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, CustomChart, GraphChart, LineChart, ScatterChart } from 'echarts/charts'
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'

use([CanvasRenderer, BarChart, CustomChart, LineChart, ScatterChart, GraphChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, AriaComponent, DataZoomComponent])
