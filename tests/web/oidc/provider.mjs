// A real OpenID provider (panva's oidc-provider) for Actioned's sign-in tests, on 127.0.0.1 only.
//
// Configured by the environment the tests set: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI and ACCOUNTS (JSON:
// login -> claims). Logging in uses the provider's own development login form (any password). PKCE (S256) is
// required of the client. Some test accounts make the provider misbehave on purpose, so that the client's checks are
// tested against tokens a real provider served: "misbehave": "wrong-audience" | "expired" | "forged" re-signs the ID
// token with that one thing wrong (a forged token is signed with a key the provider does not publish).
import Provider from 'oidc-provider';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from 'jose';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');

const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const forger = await generateKeyPair('RS256', { extractable: true });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub', 'tid', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['actioned-test-cookie-key'] },
  async findAccount(ctx, id) {
    const claims = accounts[id] || { email: id };
    return {
      accountId: id,
      async claims() {
        const { misbehave, ...rest } = claims;
        return { sub: id, email_verified: true, ...rest };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // No consent screen: the test client is first-party.
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body || typeof ctx.body.id_token !== 'string') return;
  const claims = decodeJwt(ctx.body.id_token);
  const misbehave = (accounts[claims.sub] || {}).misbehave;
  if (!misbehave) return;
  const now = Math.floor(Date.now() / 1000);
  let key = privateKey;
  if (misbehave === 'wrong-audience') claims.aud = 'someone-else';
  if (misbehave === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (misbehave === 'forged') key = forger.privateKey;
  ctx.body = {
    ...ctx.body,
    id_token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(key),
  };
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
