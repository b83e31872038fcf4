export { recordAudit } from './audit-log.js';
export { AuditPage, AuditQuery, listAudit } from './audit-query.js';
export { exportPersonAudit, erasePersonAudit } from './personal-data.js';
