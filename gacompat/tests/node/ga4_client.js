// Runs runRealtimeReport calls through Google's official Node client (@google-analytics/data)
// in REST mode (`fallback: 'rest'`: JSON over HTTP/1.1, enums sent as numbers with
// `$alt=json;enum-encoding=int`), against a local server over plain http.
// stdin: {"host": "127.0.0.1", "port": 8000, "token": "nm_...", "calls": [{"property": "properties/1", "request": {...}}]}
// stdout: one JSON array, per call {"response": <the parsed response, as protobuf.js's toJSON gives it>}
// or {"error": {"code", "message"}}.
'use strict';

const {BetaAnalyticsDataClient} = require('@google-analytics/data').v1beta;
const {OAuth2Client} = require('google-auth-library');

async function main() {
  const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const auth = new OAuth2Client();
  auth.setCredentials({access_token: input.token}); // the NowMetrix API key as a static OAuth token
  const client = new BetaAnalyticsDataClient({
    fallback: 'rest', apiEndpoint: input.host, port: input.port, protocol: 'http', authClient: auth,
  });
  const out = [];
  for (const call of input.calls) {
    try {
      const [response] = await client.runRealtimeReport({property: call.property, ...call.request},
                                                        {retry: null, timeout: 30000});
      out.push({response: JSON.parse(JSON.stringify(response))});
    } catch (err) {
      out.push({error: {code: err.code, message: err.message}});
    }
  }
  process.stdout.write(JSON.stringify(out));
  await client.close();
}

main().catch((err) => { console.error(err); process.exit(1); });
