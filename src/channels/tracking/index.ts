// Engagement tracking: signed click redirects and open pixels, and the HTML rewrite that
// puts them in a message.
export { eventUrlWarnings, type TemplateWarning } from './event-urls.js';
export { HostPattern, hostMatcher, hostOf, type HostMatcher } from './allowed-hosts.js';
export {
  rewriteLinks,
  linkHosts,
  NO_TRACK_ATTRIBUTE,
  type TrackedLink,
  type RewriteOptions,
  type RewriteResult,
} from './rewrite-links.js';
export {
  signClickToken,
  verifyClickToken,
  signOpenToken,
  verifyOpenToken,
  type ClickClaims,
  type OpenClaims,
} from './tokens.js';
