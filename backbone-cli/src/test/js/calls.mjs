// Calls the registry through Confluent's JavaScript client, one method after another as an operator's script or a
// producer would, and prints what each returned (or the error). Usage: node calls.mjs <registry url> <subject>
import { SchemaRegistryClient } from '@confluentinc/schemaregistry';

const [url, subject] = process.argv.slice(2);
const client = new SchemaRegistryClient({ baseURLs: [url] });
const v1 = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'amount', type: 'long' }] });
const v2 = JSON.stringify({
  type: 'record', name: 'Order',
  fields: [{ name: 'amount', type: 'long' }, { name: 'currency', type: 'string', default: 'EUR' }],
});
const metadata = { properties: { owner: 'orders', 'app.version': '1' } };
const ruleSet = {
  domainRules: [{
    name: 'amount-not-negative', kind: 'CONDITION', mode: 'WRITE', type: 'CEL',
    expr: 'message.amount >= 0', onFailure: 'ERROR',
  }],
};
const out = {};
const step = async (name, call) => {
  try {
    out[name] = await call();
  } catch (e) {
    out[name] = { error: e.message, status: e.status, code: e.errorCode };
  }
};
await step('register', () => client.register(subject, { schemaType: 'AVRO', schema: v1, metadata, ruleSet }));
await step('byId', () => client.getBySubjectAndId(subject, out.register));
await step('latest', () => client.getLatestSchemaMetadata(subject));
await step('byVersion', () => client.getSchemaMetadata(subject, 1));
await step('lookup', () => client.getId(subject, { schemaType: 'AVRO', schema: v1 }));
await step('register2', () => client.register(subject, {
  schemaType: 'AVRO', schema: v2, metadata: { properties: { owner: 'orders', 'app.version': '2' } },
}));
await step('byId2', () => client.getBySubjectAndId(subject, out.register2));
await step('versions', () => client.getAllVersions(subject));
await step('latestWithMetadata', () => client.getLatestWithMetadata(subject, { 'app.version': '1' }));
await step('compatible', () => client.testSubjectCompatibility(subject, { schemaType: 'AVRO', schema: v2 }));
await step('updateConfig', () => client.updateConfig(subject, {
  compatibility: 'FULL', defaultMetadata: { properties: { domain: 'orders' } },
}));
await step('config', () => client.getConfig(subject));
await step('deleteVersion', () => client.deleteSubjectVersion(subject, 1, false));
await step('versionsAfterDelete', () => client.getAllVersions(subject));
await step('permanentBeforeSoft', () => client.deleteSubject(subject, true));
await step('deleteSubject', () => client.deleteSubject(subject, false));
await step('deletePermanently', () => client.deleteSubject(subject, true));
await step('subjects', () => client.getAllSubjects());
await step('gone', () => client.getAllVersions(subject));
console.log(JSON.stringify(out));
