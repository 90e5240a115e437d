// Package auth supplies the access tokens of spotify-go: the [Provider]
// interface with its optional [Invalidator] and [Identifier] interfaces, a
// static token ([NewStatic]), the client-credentials flow
// ([NewClientCredentials]), and a user's tokens from the authorization code
// flow with PKCE or a client secret ([NewAuthorizationCode]), with token
// stores ([NewMemoryStore], [NewFileStore]) and a loopback login helper for
// command-line programs ([Login]).
//
// Providers are safe for concurrent use. A provider that fetches tokens
// caches one and refreshes it as follows:
//
//   - ahead of expiry (5 minutes by default, half the lifetime for tokens
//     that live less than 10 minutes), one goroutine refreshes in the
//     background while every caller keeps getting the current token; a
//     failed background refresh is ignored and tried again 30 s later;
//   - callers wait only once the token has expired (10 s before its stated
//     expiry, less for very short-lived tokens), and then all of them share
//     one token request;
//   - that request runs on a context detached from every caller, with its
//     own timeout (30 s), so one caller's cancellation does not fail it for
//     the others; each caller gives up on its own context;
//   - Invalidate drops a token the API rejected with 401 only if it is still
//     the current one, so many concurrent 401s cause one refresh;
//   - Close cancels a request in flight and waits for it.
//
// User tokens rotate: every refresh saves the new refresh token to the
// [TokenStore] before the token is used (keeping the old one when the
// response omits it), and a store that implements [TokenLocker] is locked
// and re-read around each refresh, so two processes sharing a [FileStore]
// never spend the same refresh token. The lock is a [Lease] with room for
// a networked store: it may expire (it is checked right before the refresh
// request is sent), and it saves by compare-and-set on the stored token's
// version, so a holder whose lease expired never overwrites a newer token
// ([*VersionConflictError]); [TokenLocker] states the contract. A refused refresh token is a
// [*LoginRequiredError]. Since November 2025 Spotify accepts only https
// redirect URIs or http ones on a loopback IP literal (127.0.0.1, [::1]);
// "localhost" is refused with [ErrInvalidRedirectURI].
//
// Token requests go to the token endpoint on their own short path (an
// *http.Client given in the config, or one the provider creates with a 30 s
// timeout and a small retry of 5xx and connection errors); they never pass
// through the API's chain. A refused request is a [*TokenError] carrying the
// OAuth error code; errors.Is matches [ErrInvalidClient] and
// [ErrInvalidGrant].
//
// Secrets in configurations (the client secret, a PKCE verifier) are of
// type [Secret], which prints, logs and encodes as "[REDACTED]". Tokens
// keep plain string fields (stores persist them) and print themselves
// redacted through fmt and log/slog, as do the configurations and the
// providers; errors never carry a secret or a request body.
package auth
