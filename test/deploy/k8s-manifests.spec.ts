/**
 * Proves, offline, that the Kubernetes base in deploy/k8s is valid: every manifest the
 * kustomization lists parses and passes the Kubernetes API schemas shipped in the
 * `kubernetes-models` package, and the manifests say what the programs need (probes, grace
 * period, Secrets by name, unbuffered live streams, autoscaling and disruption budgets).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';

const BASE = join(__dirname, '..', '..', 'deploy', 'k8s');

/** The Secrets the base refers to by name; they are made outside the repository (kustomization.yaml). */
const SECRETS = new Set(['eldercare-secrets', 'eldercare-tls']);

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: Record<string, unknown> };

/** One model class per kind the base may use; anything else fails the test. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1 Job': Job,
  'networking.k8s.io/v1 Ingress': Ingress,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 ConfigMap': ConfigMap,
  'v1 Service': Service,
};

function parse(file: string): unknown[] {
  return parseAllDocuments(readFileSync(join(BASE, file), 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
    return document.toJS() as unknown;
  });
}

const kustomization = parse('kustomization.yaml')[0] as { apiVersion: string; kind: string; resources: string[]; images: { name: string }[] };
const manifests: Manifest[] = kustomization.resources.flatMap((file) => parse(file) as Manifest[]);

function find(kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is missing`);
  return found;
}

interface Container {
  name: string;
  image: string;
  command: string[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
}

function podSpec(manifest: Manifest): { terminationGracePeriodSeconds?: number; containers: Container[] } {
  return (manifest.spec as { template: { spec: { terminationGracePeriodSeconds?: number; containers: Container[] } } }).template.spec;
}

describe('deploy/k8s (kustomize base)', () => {
  it('lists every manifest of the directory, and only those', () => {
    expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
    const files = readdirSync(BASE).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('passes the Kubernetes API schemas, manifest by manifest', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(9);
    for (const manifest of manifests) {
      const Model = MODELS[`${manifest.apiVersion} ${manifest.kind}`];
      if (!Model) throw new Error(`${manifest.apiVersion} ${manifest.kind} ${manifest.metadata.name}: no schema known to this test`);
      expect(() => new Model(manifest as never).validate()).not.toThrow();
    }
  });

  it('finds a mistake the schemas forbid (the check can fail)', () => {
    const api = structuredClone(find('Deployment', 'eldercare-api'));
    (api.spec as { replicas: unknown }).replicas = 'two';
    expect(() => new Deployment(api as never).validate()).toThrow(/replicas/);
  });

  it('runs the API with its probes, a 30 s grace period and its settings from the ConfigMap and Secret', () => {
    const pod = podSpec(find('Deployment', 'eldercare-api'));
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    const [api] = pod.containers;
    expect(api?.command).toEqual(['node', '--max-semi-space-size=32', 'dist/apps/api/src/main.js']);
    expect(api?.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(api?.livenessProbe?.httpGet?.path).toBe('/health/live');
    expect(api?.envFrom).toEqual([{ configMapRef: { name: 'eldercare-config' } }, { secretRef: { name: 'eldercare-secrets' } }]);
  });

  it('runs the worker and the migration Job from the same image', () => {
    const worker = podSpec(find('Deployment', 'eldercare-worker'));
    expect(worker.terminationGracePeriodSeconds).toBe(30);
    expect(worker.containers[0]?.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    const migrate = podSpec(find('Job', 'eldercare-migrate'));
    expect(migrate.containers[0]?.command).toEqual(['node', 'dist/apps/cli/src/main.js', 'migrate']);
    const images = new Set(['eldercare-api', 'eldercare-worker'].flatMap((name) => podSpec(find('Deployment', name)).containers.map((c) => c.image)));
    images.add(migrate.containers[0]?.image ?? '');
    expect([...images]).toEqual(kustomization.images.map((image) => image.name));
  });

  it('refers to Secrets by name only, never carries one', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const text = kustomization.resources.map((file) => readFileSync(join(BASE, file), 'utf8')).join('\n');
    const named = [...text.matchAll(/secret(?:Ref:\s*\n\s*name|Name):\s*([\w-]+)/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(SECRETS.has(name ?? '')).toBe(true);
  });

  it('serves the API through a Service and an Ingress that does not buffer the live streams', () => {
    const service = find('Service', 'eldercare-api');
    expect((service.spec as { selector: Record<string, string> }).selector).toEqual({ 'app.kubernetes.io/name': 'eldercare-api' });
    const ingress = find('Ingress', 'eldercare-api');
    expect(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    expect(Number(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(600);
  });

  it('scales the API with CPU and keeps a pod of each program through voluntary disruptions', () => {
    const hpa = find('HorizontalPodAutoscaler', 'eldercare-api');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'eldercare-api' }, minReplicas: 2 });
    for (const name of ['eldercare-api', 'eldercare-worker']) {
      expect(find('PodDisruptionBudget', name).spec).toMatchObject({ minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name } } });
    }
  });
});
