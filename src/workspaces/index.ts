export { DEFAULT_WORKSPACE_ID, ensureDefaultWorkspace, listWorkspaceIds } from './workspaces.js';
export { KeyScope, createApiKey, scopeAllows } from './keys.js';
export { KeyResolver, type Principal } from './key-resolver.js';
export {
  IdentitySettings,
  WebhookSettings,
  EmailSettings,
  readIdentitySettings,
  readSettingsDocument,
  writeSettingsDocument,
} from './settings.js';
export { workspaceSecrets } from './secrets.js';
export { LinkSecrets } from './link-secrets.js';
export {
  WebhookSecretInfo,
  RotatedWebhookSecret,
  describeWebhookSecret,
  rotateWebhookSecret,
  webhookSigningSecrets,
} from './webhook-secret.js';
