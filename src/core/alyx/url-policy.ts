/**
 * Which Alyx URLs the editor may send a password or token to. Plain `http://` sends both in
 * clear text, so it is allowed only to this machine (a test or tunnelled server) unless the
 * user opts in.
 */

/** A refusal names the setting that fixes it, so that an editor can open that setting. */
export type UrlVerdict = { ok: true; url: string; key: string } | { ok: false; message: string; setting: UrlSetting };

export type UrlSetting = 'alf.alyx.url' | 'alf.alyx.allowInsecureHttp';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The server URL without trailing slash or default port, host lower-cased: two spellings of one
 * server give one key (the SecretStorage key of its token).
 */
export function normaliseAlyxUrl(url: string): string {
  const parsed = new URL(url.trim());
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.host.toLowerCase()}${path}`;
}

/** Checks an Alyx URL against the http/https policy; `allowInsecureHttp` lifts the loopback-only rule. */
export function checkAlyxUrl(url: string, allowInsecureHttp = false): UrlVerdict {
  const text = url.trim();
  if (!text) return { ok: false, message: 'No Alyx server: set alf.alyx.url (e.g. https://alyx.internationalbrainlab.org)', setting: 'alf.alyx.url' };
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { ok: false, message: `"${text}" is not a URL: set alf.alyx.url to e.g. https://alyx.example.org`, setting: 'alf.alyx.url' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, message: `"${text}" is not an http(s) URL: set alf.alyx.url to e.g. https://alyx.example.org`, setting: 'alf.alyx.url' };
  }
  if (parsed.username || parsed.password) {
    return { ok: false, message: 'Put no user name or password in alf.alyx.url: use ALF: Log In to Alyx', setting: 'alf.alyx.url' };
  }
  if (parsed.search || parsed.hash) return { ok: false, message: `Remove the query or fragment from alf.alyx.url ("${text}")`, setting: 'alf.alyx.url' };
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname.toLowerCase()) && !allowInsecureHttp) {
    return {
      ok: false,
      message: `Refusing http://${parsed.host}: the password and token would cross the network unencrypted. Use https://, or turn on alf.alyx.allowInsecureHttp if you trust this network`,
      setting: 'alf.alyx.allowInsecureHttp',
    };
  }
  const normalised = normaliseAlyxUrl(text);
  return { ok: true, url: normalised, key: normalised };
}

/** `user@host` for the status bar. */
export function serverLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host + parsed.pathname.replace(/\/+$/, '');
  } catch {
    return url;
  }
}
