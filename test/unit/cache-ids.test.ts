import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CACHE_ID_NAMESPACE, datasetId, sessionId, uuid3 } from '../../src/core/cache/ids';

// Expected values computed with CPython's uuid module:
// uuid.uuid3(uuid.UUID(CACHE_ID_NAMESPACE), key) and uuid.uuid3(uuid.NAMESPACE_DNS, 'python.org').
test('uuid3 matches Python uuid.uuid3 under the fixed namespace', () => {
  assert.equal(CACHE_ID_NAMESPACE, '503409cc-338a-5473-9301-82593cb7eb36');
  assert.equal(sessionId('cortexlab/KS005/2019-04-01/001'), 'd0c54638-9a7b-3e35-b1c9-def1206fbb2c');
  assert.equal(datasetId('alf/_ibl_trials.choice.npy'), 'f162b895-4896-3cf1-8127-d8822b60d13d');
  assert.equal(uuid3('trïals/ü'), '8fd18f18-7ed0-3794-80fa-8493b68e8dcc');
});

test('uuid3 under another namespace matches the RFC example', () => {
  const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
  assert.equal(uuid3('python.org', dns), '6fa459ea-ee8a-3ca4-894e-db77e160355e');
});
