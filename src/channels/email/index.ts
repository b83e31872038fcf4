export { parseSmtpUrl, redactSmtpUrl, type SmtpConfig } from './smtp-url.js';
export {
  buildEmail,
  messageIdFor,
  preheaderHtml,
  type EmailInput,
  type EmailAddress,
} from './build-email.js';
export { EmailSender, classifySmtpError, type EmailResult, type SmtpErrorLike } from './sender.js';
export { checkSmtp, sendOnce, type SmtpCheck } from './smtp-check.js';
