export {
  DEFAULT_WORKSPACE_ID,
  ensureDefaultWorkspace,
  listWorkspaceIds,
  workspaceExists,
} from './workspaces.js';
export { KeyScope, createApiKey, hashKey, scopeAllows, type CreatedKey } from './keys.js';
export { KeyResolver, type Principal } from './key-resolver.js';
export {
  IdentitySettings,
  WebhookSettings,
  EmailSettings,
  readIdentitySettings,
  readSettingsDocument,
  writeSettingsDocument,
} from './settings.js';
export { generateVapidKeys, workspaceSecrets, type WorkspaceSecrets } from './secrets.js';
export { LinkSecrets } from './link-secrets.js';
export {
  WEBHOOK_SECRET_OVERLAP_MS,
  WebhookSecretInfo,
  RotatedWebhookSecret,
  describeWebhookSecret,
  ensureWebhookSecret,
  rotateWebhookSecret,
  webhookSigningSecrets,
  webhookSecretFingerprint,
} from './webhook-secret.js';
