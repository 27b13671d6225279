// Validates Kubernetes objects against the official API schemas, offline, with the kubernetes-models packages
// (their validators are generated from the Kubernetes OpenAPI specification; custom resources from their CRDs).
// A separate Node process because those packages are ES modules only, which the CommonJS jest run cannot load.
//
//   node validate-k8s.mjs < objects.json      (a JSON array of objects)
//
// Prints a JSON array of problems, "<kind>/<name>: <what>", empty when every object is valid.

/** API groups of the custom resources in k8s/, and the package holding their schemas. */
const CUSTOM_RESOURCE_PACKAGES = { 'external-secrets.io': '@kubernetes-models/external-secrets' };

/** The module of one kind: kubernetes-models/<group>/<version>/<Kind> (the core group has no group segment). */
function modelModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const custom = CUSTOM_RESOURCE_PACKAGES[group];
  if (custom) return `${custom}/${group}/${version}/${kind}`;
  if (group.includes('.') && !group.endsWith('.k8s.io')) return undefined;
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

async function problemsOf(object) {
  const id = `${object?.kind}/${object?.metadata?.name}`;
  if (typeof object?.apiVersion !== 'string' || typeof object?.kind !== 'string') return [`${id}: no apiVersion or kind`];
  const specifier = modelModule(object.apiVersion, object.kind);
  let Model;
  try {
    Model = specifier && (await import(specifier))[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return [`${id}: no schema for ${object.apiVersion} ${object.kind} (a custom resource needs its @kubernetes-models package in CUSTOM_RESOURCE_PACKAGES)`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    // ajv's message lists every failure, comma-separated, each as "data/<path> <rule>"
    return String(error.message)
      .split(/, (?=data[/ ])/)
      .map((failure) => `${id}: ${failure.replace(/^data\/?/, '')}`);
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const objects = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const problems = [];
for (const object of objects) problems.push(...(await problemsOf(object)));
process.stdout.write(JSON.stringify(problems));
