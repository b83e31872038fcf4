export {
  signPayload,
  verifyPayload,
  peekPayload,
  MAX_TOKEN_LENGTH,
  type PayloadResult,
} from './signed-payload.js';
export {
  TokenPurpose,
  ConsentTokenClaims,
  signToken,
  verifyToken,
  type TokenResult,
} from './consent-token.js';
