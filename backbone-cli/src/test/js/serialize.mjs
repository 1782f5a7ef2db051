// Serializes each case with Confluent's JavaScript Avro serializer, its CEL executor registered and the subject's
// latest version (schema, metadata and rule set) in use, as a Node.js producer would; prints one verdict per case.
// Usage: node serialize.mjs <registry url> <topic> <cases.json>
import { readFileSync } from 'node:fs';
import { AvroSerializer, CelExecutor, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';

const [url, topic, file] = process.argv.slice(2);
CelExecutor.register();
const client = new SchemaRegistryClient({ baseURLs: [url] });
const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
const verdicts = [];
for (const c of JSON.parse(readFileSync(file, 'utf8'))) {
  try {
    const bytes = await serializer.serialize(topic, c.record);
    verdicts.push({ name: c.name, accepted: true, bytes: Buffer.from(bytes).toString('base64') });
  } catch (e) {
    verdicts.push({ name: c.name, accepted: false, error: `${e.name}: ${e.message}` });
  }
}
console.log(JSON.stringify(verdicts));
