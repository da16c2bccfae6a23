/**
 * The dashboard's token, as Jupyter's: random per server, required for
 * every request that returns data. A client sends it as `?token=` (what
 * links and browsers' WebSockets can do), as `Authorization: token <t>`
 * (or `Bearer <t>`), or as `X-Tessera-Token: <t>`.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** 48 hex characters (192 bits). */
export function newToken(): string {
  return randomBytes(24).toString("hex");
}

/** The token a request carries, if any. */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const q = url.searchParams.get("token");
  if (q !== null) return q;
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(auth);
    if (m !== null) return m[1];
  }
  const h = req.headers["x-tessera-token"];
  return typeof h === "string" ? h : undefined;
}

/** Constant-time comparison, so response timing tells nothing about the token. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const FORBIDDEN_TEXT =
  "403 Forbidden: this Tessera dashboard needs its token. Open the link the cluster printed " +
  "(cluster.dashboardLink, http://127.0.0.1:<port>/?token=…), or send the header \"Authorization: token <token>\"; " +
  "running dashboards and their tokens are listed in the runtime files (listDashboards()).\n";
