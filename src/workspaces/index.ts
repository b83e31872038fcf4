export {
  DEFAULT_WORKSPACE_ID,
  WorkspaceId,
  WorkspaceInfo,
  WorkspaceName,
  createWorkspace,
  ensureDefaultWorkspace,
  listWorkspaceIds,
  listWorkspaces,
} from './workspaces.js';
export {
  ApiKeyInfo,
  KEY_LIFETIME,
  KeyName,
  KeyScope,
  createApiKey,
  listApiKeys,
  scopeAllows,
  type CreatedKey,
} from './keys.js';
export {
  DEFAULT_ROTATION_GRACE_MS,
  MAX_ROTATION_GRACE_MS,
  revokeApiKey,
  rotateApiKey,
} from './key-admin.js';
export {
  KeyResolver,
  type Caller,
  type KeyResolution,
  type PlatformPrincipal,
  type Principal,
} from './key-resolver.js';
export {
  IdentitySettings,
  WebhookSettings,
  BrandSettings,
  DEFAULT_BRAND_COLORS,
  EmailSettings,
  MeasurementSettings,
  readIdentitySettings,
  readSensitiveSettings,
  PrivacySettings,
  readPrivacySettings,
  readSettingsDocument,
  writeSettingsDocument,
} from './settings.js';
export { workspaceSecrets } from './secrets.js';
export { closeSession, openSession, resolveSession } from './sessions.js';
export { erasureHasher, type IdentifierHasher } from './erasure-salt.js';
export { LinkSecrets } from './link-secrets.js';
export {
  WebhookSecretInfo,
  RotatedWebhookSecret,
  describeWebhookSecret,
  rotateWebhookSecret,
  webhookSigningSecrets,
} from './webhook-secret.js';
export { verifyIdentityToken } from './identity-token.js';
export {
  describeIdentitySecret,
  identitySecrets,
  rotateIdentitySecret,
} from './identity-secret.js';
export { CorsSettings, originAllowed, originListed } from './origins.js';
