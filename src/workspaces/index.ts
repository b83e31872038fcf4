export {
  DEFAULT_WORKSPACE_ID,
  ensureDefaultWorkspace,
  listWorkspaceIds,
  workspaceExists,
} from './workspaces.js';
export {
  ApiKeyInfo,
  KEY_LIFETIME,
  KeyName,
  KeyScope,
  createApiKey,
  hashKey,
  listApiKeys,
  scopeAllows,
  type CreatedKey,
} from './keys.js';
export {
  DEFAULT_ROTATION_GRACE_MS,
  MAX_ROTATION_GRACE_MS,
  revokeApiKey,
  rotateApiKey,
  type RevokeResult,
  type RotateResult,
} from './key-admin.js';
export { KeyResolver, type KeyResolution, type Principal } from './key-resolver.js';
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
