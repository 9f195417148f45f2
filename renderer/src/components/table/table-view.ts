/**
 * What a table shows right now — the person's conditions, order, visible columns in display order
 * and selected rows — so that an export can write exactly "this view".
 */
import type { PageFilter } from '../../../../shared/page-query'
import type { RowsSort } from '../../composables/useRowsPage'
import type { IndexRange } from './rows-selection'

export interface TableView {
  /** The conditions typed in the column boxes (not the parent's fixed ones). */
  filter: PageFilter[]
  /** The order the rows are shown in; null = the table's stored order. */
  sort: RowsSort | null
  /** Keys of the visible columns, in the order they are shown. */
  columns: string[]
  /** Selected rows as inclusive index ranges in the shown order (empty: nothing selected). */
  selection: IndexRange[]
}
