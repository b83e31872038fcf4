export {
  CatalogItem,
  CatalogItemInput,
  UpsertItems,
  UpsertResult,
  ItemQuery,
  ItemPage,
} from './item.js';
export { itemsFromEvent } from './from-event.js';
export {
  upsertItems,
  getItem,
  getItems,
  listItems,
  deleteItem,
  allItems,
  catalogSignature,
  changesSince,
  latestChangeId,
} from './repo.js';
export { catalogHasUrlHost } from './url-hosts.js';
