// A real OpenID Connect provider on loopback for the portal's sign-in tests (npm oidc-provider; in-memory state and
// development keys: tests only, never a deployment).
//
//   node provider.mjs [port] [portal-url]
//   (or PROVIDER_PORT / PORTAL_URL in the environment)
//
// Port 0 picks a free port. Once listening it prints one line, "listening http://127.0.0.1:PORT". Without a portal URL
// it then reads one line from stdin, the portal's base address (e.g. "http://127.0.0.1:5123/"), and prints "ready"
// once the client is registered: the tests start the provider first (the portal needs its address), then the portal,
// then tell the provider where the portal is. Requests before that are answered 503.
//
// The login name chooses the account: reader, developer, contributor, owner, norole, or one of them followed by "-"
// and any text (a user of its own for a test, with the same role), e.g. "reader-rolechange". Any password.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'portal';
export const CLIENT_SECRET = process.env.PROVIDER_CLIENT_SECRET || 'portal-test-client-secret';
// The audience of the JWT access tokens issued for the portal's HTTP API (Portal:Auth:Oidc:Audience).
export const API_AUDIENCE = process.env.PROVIDER_API_AUDIENCE || 'api://portal';
export const API_SCOPE = 'portal.api';

const PEOPLE = {
  reader: { name: 'Rita Reader', roles: ['Reader'] },
  developer: { name: 'Dev Developer', roles: ['Azure AI Developer'] },
  contributor: { name: 'Connie Contributor', roles: ['Contributor'] },
  owner: { name: 'Olga Owner', roles: ['Owner'] },
  norole: { name: 'Nora Norole', roles: undefined },
};

function account(login) {
  const match = /^([a-z]+)(?:-([a-z0-9-]{1,40}))?$/.exec(String(login).trim().toLowerCase());
  const person = match && PEOPLE[match[1]];
  if (!person) {
    return undefined;
  }

  const id = match[0];
  const name = match[2] ? `${person.name} (${match[2]})` : person.name;
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        email: `${id}@example.test`,
        email_verified: true,
        name,
        ...(person.roles ? { roles: person.roles } : {}),
      };
    },
  };
}

function configuration(portalUrl) {
  const app = portalUrl.replace(/\/+$/, '');
  return {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${app}/signin-oidc`],
      post_logout_redirect_uris: [`${app}/signout-callback-oidc`],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      // ASP.NET Core's OpenID Connect handler sends the secret in the form body.
      token_endpoint_auth_method: 'client_secret_post',
    }],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      roles: ['roles'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'roles'],
    findAccount: (_ctx, id) => account(id),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      clientCredentials: { enabled: true },
      // Access tokens for the portal's API (a "resource" parameter naming API_AUDIENCE) are JWTs the portal's
      // JwtBearer scheme validates; without it the access token stays opaque (for the userinfo endpoint).
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== API_AUDIENCE) {
            throw new Provider.errors.InvalidTarget();
          }

          return { scope: API_SCOPE, audience: API_AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // The portal's login name is the account id; the first sign-in of a name needs the consent page once.
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600, ClientCredentials: 600, RefreshToken: 3600 },
  };
}

const port = Number(process.argv[2] ?? process.env.PROVIDER_PORT ?? 0);
let portalUrl = process.argv[3] ?? process.env.PORTAL_URL;
let handler;

const server = http.createServer((req, res) => {
  if (handler) {
    handler(req, res);
    return;
  }

  res.statusCode = 503;
  res.setHeader('content-type', 'text/plain');
  res.end('The test provider does not know the portal yet.');
});

server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const start = (url) => {
    const provider = new Provider(issuer, configuration(url));
    handler = provider.callback();
    console.log('ready');
  };

  console.log(`listening ${issuer}`);
  if (portalUrl) {
    start(portalUrl);
    return;
  }

  const lines = createInterface({ input: process.stdin });
  lines.once('line', (line) => {
    portalUrl = line.trim();
    start(portalUrl);
  });
  // The tests stop the provider by killing it; a closed stdin (the test process ended) stops it as well.
  lines.on('close', () => process.exit(0));
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}
