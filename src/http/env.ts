/** What the auth middleware learned about the caller. */
export interface Caller {
  tenantId: string;
  userId: string;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}

export interface HttpEnv {
  Variables: {
    caller: Caller;
    requestId: string;
  };
}
