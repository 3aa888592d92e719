import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/** Whether http to this machine is allowed (development and tests, never production). */
export type TargetPolicy = { allowLocalhost: boolean };

/** A receiver's URL and the addresses FanPulse checked: the only ones it will connect to. */
export type CheckedTarget = { url: URL; addresses: { address: string; family: 4 | 6 }[] };

export class UnsafeTargetError extends Error {
  override name = "UnsafeTargetError";
}

const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Only addresses on the public internet ("unicast"): no private, loopback, link-local, multicast or reserved ranges. */
function isPublic(address: string): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === "unicast";
}

/**
 * Where a webhook may point (server-side request forgery): https to a host whose every address
 * is public; http only to this machine by name, and only when the policy allows it. Checked
 * when the webhook is made and again before every delivery (DNS may have changed since), and the
 * delivery connects to the address checked here, so a second lookup cannot send it elsewhere.
 */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeTargetError("must be an absolute URL");
  }
  if (url.username || url.password) throw new UnsafeTargetError("must not carry credentials");
  const local = LOCAL_NAMES.has(url.hostname);
  if (url.protocol === "http:" && !(local && policy.allowLocalhost)) throw new UnsafeTargetError("must be https (http only to localhost, outside production)");
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UnsafeTargetError("must be an https URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  try {
    addresses = ipaddr.isValid(host) ? [{ address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new UnsafeTargetError(`its host ${host} does not resolve`);
  }
  const allowed = addresses.filter((a) => isPublic(a.address) || (local && policy.allowLocalhost && ipaddr.parse(a.address).range() === "loopback"));
  if (addresses.length === 0 || allowed.length !== addresses.length) {
    throw new UnsafeTargetError(`its host ${host} resolves to an address that is not public (private, loopback, link-local or reserved)`);
  }
  return { url, addresses: allowed.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
}
