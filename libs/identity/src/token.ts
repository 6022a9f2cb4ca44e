/** What a validated Keystone v3 token says about its bearer. */
export interface TokenIdentity {
  userId: string;
  userName: string | null;
  userDomainId: string | null;
  /** The project the token is scoped to (null for domain- and system-scoped tokens). */
  projectId: string | null;
  projectName: string | null;
  projectDomainId: string | null;
  /** The domain of a domain-scoped token. */
  domainId: string | null;
  /** `all` for a system-scoped token. */
  system: string | null;
  /** Role names, lower case (Keystone's implied roles included: member brings reader). */
  roles: string[];
  expiresAt: number;
}

/** The `token` object of a Keystone v3 token body (GET/POST /v3/auth/tokens). */
export function identityOf(body: any): TokenIdentity {
  const t = body?.token;
  if (!t?.user?.id || !t.expires_at) throw new Error('Keystone answered a token without a user or an expiry');
  const system = t.system ? Object.keys(t.system).find((k) => t.system[k]) ?? null : null;
  return {
    userId: t.user.id,
    userName: t.user.name ?? null,
    userDomainId: t.user.domain?.id ?? null,
    projectId: t.project?.id ?? null,
    projectName: t.project?.name ?? null,
    projectDomainId: t.project?.domain?.id ?? null,
    domainId: t.domain?.id ?? null,
    system,
    roles: (t.roles ?? []).map((r: { name: string }) => String(r.name).toLowerCase()),
    expiresAt: Date.parse(t.expires_at),
  };
}
