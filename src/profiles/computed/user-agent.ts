/**
 * A deliberately small User-Agent reader for the profile's "last known" browser, OS and
 * device type, used only when the SDK did not send `context.os` / `context.device`. Order
 * matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
 */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChrome\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bWindows NT\b/, 'Windows'],
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export interface UserAgentInfo {
  browser: string | null;
  os: string | null;
  deviceType: 'mobile' | 'tablet' | 'desktop' | null;
}

const first = (list: [RegExp, string][], ua: string) =>
  list.find(([re]) => re.test(ua))?.[1] ?? null;

/** Browser, OS and device type from a User-Agent string (nulls when unrecognised). */
export function parseUserAgent(ua: string): UserAgentInfo {
  if (ua.length === 0 || ua.length > 1024) return { browser: null, os: null, deviceType: null };
  const os = first(SYSTEMS, ua);
  const deviceType = /\biPad\b|\bTablet\b/.test(ua)
    ? 'tablet'
    : /\bMobi|\biPhone\b|\biPod\b/.test(ua)
      ? 'mobile'
      : os === 'Android'
        ? 'tablet' // Android without "Mobile" is a tablet by Google's own convention
        : os === null
          ? null
          : 'desktop';
  return { browser: first(BROWSERS, ua), os, deviceType };
}
