export { recordAudit, type AuditRecord } from './audit-log.js';
export { AuditPage, AuditQuery, listAudit } from './audit-query.js';
