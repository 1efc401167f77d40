import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_CONFIG_VARIABLES, DISPATCHER_CONFIG_VARIABLES, loadApiConfig, loadDispatcherConfig } from '@inbox/server';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { parse as parseYaml } from 'yaml';
import { parseImage, render, type K8sObject } from './render.js';

const INFRA = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(INFRA, '..');
const read = (path: string) => readFileSync(join(INFRA, path), 'utf8');

/** Every kind the manifests may use, with the model that validates it (anything else fails). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** The Secret operators create by hand (README.md), and the keys it must hold. */
const SECRET_NAME = 'inbox-secrets';
const SECRET_KEYS = ['DATABASE_URL', 'REDIS_URL', 'INBOX_INTERNAL_TOKEN', 'INBOX_SECRET_KEY'];
/** Values with the right shape for the Secret's keys, to check the ConfigMap together with them. */
const SAMPLE_SECRETS: Record<string, string> = {
  DATABASE_URL: 'postgres://inbox:pw@pgbouncer:6432/inbox',
  REDIS_URL: 'redis://redis:6379/0',
  INBOX_INTERNAL_TOKEN: 'a-long-enough-internal-token',
  INBOX_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
};

/** The variables either app reads (packages/server/src/config.ts). */
const CONFIG_VARIABLES = new Set([...API_CONFIG_VARIABLES, ...DISPATCHER_CONFIG_VARIABLES]);

// Typed views of the fields the rules read (the models validate the rest).
interface Probe {
  httpGet?: { path?: string; port?: number | string };
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    initContainers?: Container[];
    terminationGracePeriodSeconds?: number;
    restartPolicy?: string;
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  };
}
interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
    template: PodTemplate;
  };
}
interface Hpa extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
  };
}
interface Selecting extends K8sObject {
  spec: {
    selector?: { matchLabels?: Record<string, string> } | Record<string, string>;
    ports?: { port: number; targetPort?: number | string }[];
  };
}

const overlays = ['dev', 'production'] as const;
const rendered = Object.fromEntries(overlays.map((name) => [name, render(join(INFRA, 'k8s/overlays', name))]));

function find<T extends K8sObject>(objects: K8sObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is missing`);
  return found as T;
}
const workloads = (objects: K8sObject[]) =>
  objects.filter((o): o is Workload => o.kind === 'Deployment' || o.kind === 'Job');
const containersOf = (w: Workload) => [
  ...w.spec.template.spec.containers,
  ...(w.spec.template.spec.initContainers ?? []),
];
const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
const seconds = (ms: number) => ms / 1000;

const configMapData = (objects: K8sObject[]) =>
  find<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap', 'inbox-config').data;
const appContainer = (objects: K8sObject[], name: string) =>
  find<Workload>(objects, 'Deployment', name).spec.template.spec.containers[0]!;

/** The environment a container gets from the ConfigMap and the Secret (holding SAMPLE_SECRETS). */
function containerEnv(objects: K8sObject[], container: Container): Record<string, string | undefined> {
  const data = configMapData(objects);
  const env: Record<string, string | undefined> = {};
  for (const ref of container.envFrom ?? []) Object.assign(env, ref.configMapRef ? data : SAMPLE_SECRETS);
  for (const e of container.env ?? []) {
    const { configMapKeyRef, secretKeyRef } = e.valueFrom ?? {};
    if (configMapKeyRef) env[e.name] = data[configMapKeyRef.key];
    else if (secretKeyRef) env[e.name] = SAMPLE_SECRETS[secretKeyRef.key];
    else env[e.name] = e.value;
  }
  return env;
}

/** Each app's config from what its Deployment gives it, as the app will parse it. */
const apiConfig = (objects: K8sObject[]) => loadApiConfig(containerEnv(objects, appContainer(objects, 'inbox-api')));
const dispatcherConfig = (objects: K8sObject[]) =>
  loadDispatcherConfig(containerEnv(objects, appContainer(objects, 'inbox-dispatcher')));

/** The port a probe or Service names, resolved to the container's port number. */
function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

describe('config.ts variables', () => {
  it('lists the variables the apps read, so the checks below are not vacuous', () => {
    for (const name of [...SECRET_KEYS, 'PORT', 'DISPATCHER_PORT', 'INBOX_SHUTDOWN_TIMEOUT', 'INBOX_ALLOW_HTTP']) {
      expect(CONFIG_VARIABLES).toContain(name);
    }
  });
});

describe.each(overlays)('k8s overlay %s', (overlay) => {
  const objects = rendered[overlay]!;
  const namespace = overlay === 'production' ? 'inbox' : 'inbox-dev';

  it('renders the full set of objects', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        'ConfigMap/inbox-config',
        'Deployment/inbox-api',
        'Deployment/inbox-dispatcher',
        'HorizontalPodAutoscaler/inbox-api',
        'HorizontalPodAutoscaler/inbox-dispatcher',
        'Job/inbox-migrate',
        'PodDisruptionBudget/inbox-api',
        'PodDisruptionBudget/inbox-dispatcher',
        'Service/inbox-api',
      ].sort(),
    );
  });

  it.each(rendered[overlay]!.map((o) => [`${o.kind}/${o.metadata.name}`, o] as const))(
    '%s is a valid Kubernetes object',
    (_, object) => {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      if (!Model)
        throw new Error(`unknown apiVersion/kind ${object.apiVersion}/${object.kind}: add its model to MODELS`);
      expect(() => new Model(object as never).validate()).not.toThrow();
    },
  );

  it('labels every object and places it in the overlay namespace', () => {
    for (const o of objects) {
      expect(o.metadata.namespace).toBe(namespace);
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('inbox-webhooks');
      expect(o.metadata.labels?.['app.kubernetes.io/name']).toEqual(expect.stringMatching(/^inbox-/));
    }
    for (const w of workloads(objects)) {
      expect(w.spec.template.metadata?.labels).toMatchObject({
        'app.kubernetes.io/name': w.metadata.labels?.['app.kubernetes.io/name'],
        'app.kubernetes.io/part-of': 'inbox-webhooks',
      });
    }
  });

  it('pins every image to a version tag from the overlay (never latest, never untagged)', () => {
    for (const container of workloads(objects).flatMap(containersOf)) {
      const image = parseImage(container.image ?? '');
      expect(image.name).toMatch(/^[^/]+\/.+\/(api|dispatcher)$/); // a registry path from the overlay, not the bare base name
      expect(image.digest ?? image.tag).toBeTruthy();
      expect(image.tag).not.toBe('latest');
    }
  });

  it('gives every container requests and limits, a non-root user, a read-only root and no capabilities', () => {
    for (const w of workloads(objects)) {
      const pod = w.spec.template.spec;
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      for (const c of containersOf(w)) {
        expect(c.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it('reads environment only from the ConfigMap it ships and the documented Secret', () => {
    const configMaps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
    const configMapRef = { configMapRef: { name: 'inbox-config' } };
    for (const c of workloads(objects).flatMap(containersOf)) {
      expect([[configMapRef], [configMapRef, { secretRef: { name: SECRET_NAME } }]]).toContainEqual(c.envFrom);
      for (const ref of c.envFrom ?? []) if (ref.configMapRef) expect(configMaps).toContain(ref.configMapRef.name);
      for (const e of c.env ?? []) {
        if (e.valueFrom?.configMapKeyRef) expect(configMaps).toContain(e.valueFrom.configMapKeyRef.name);
        if (e.valueFrom?.secretKeyRef) expect(e.valueFrom.secretKeyRef.name).toBe(SECRET_NAME);
      }
    }
  });

  it('gives each app exactly the Secret keys it reads (the dispatcher never sees INBOX_INTERNAL_TOKEN)', () => {
    for (const [name, variables] of [
      ['inbox-api', API_CONFIG_VARIABLES],
      ['inbox-dispatcher', DISPATCHER_CONFIG_VARIABLES],
    ] as const) {
      const env = containerEnv(objects, appContainer(objects, name));
      expect(SECRET_KEYS.filter((key) => env[key] !== undefined)).toEqual(
        SECRET_KEYS.filter((key) => variables.includes(key)),
      );
    }
    expect(DISPATCHER_CONFIG_VARIABLES).not.toContain('INBOX_INTERNAL_TOKEN');
  });

  it('lets both apps read INBOX_SECRET_KEYS_PREVIOUS from the Secret while a key rotates, and start without it', () => {
    for (const [name, variables] of [
      ['inbox-api', API_CONFIG_VARIABLES],
      ['inbox-dispatcher', DISPATCHER_CONFIG_VARIABLES],
    ] as const) {
      expect(variables).toContain('INBOX_SECRET_KEYS_PREVIOUS');
      const container = appContainer(objects, name);
      const wholeSecret = (container.envFrom ?? []).some((ref) => ref.secretRef?.name === SECRET_NAME);
      const ref = container.env?.find((e) => e.name === 'INBOX_SECRET_KEYS_PREVIOUS')?.valueFrom?.secretKeyRef;
      expect(wholeSecret || (ref?.key === 'INBOX_SECRET_KEYS_PREVIOUS' && ref.optional === true)).toBe(true);
    }
  });

  it('ConfigMap: only variables config.ts reads, no secrets, values the apps accept, https-only public endpoints', () => {
    const data = configMapData(objects);
    for (const key of Object.keys(data)) expect(CONFIG_VARIABLES).toContain(key);
    for (const key of SECRET_KEYS) expect(data).not.toHaveProperty(key);
    const [api, dispatcher] = [apiConfig(objects), dispatcherConfig(objects)];
    expect(api).toMatchObject({ allowHttp: false, allowPrivateUrls: false, env: 'production', port: 3000 });
    expect(dispatcher).toMatchObject({ allowPrivateUrls: false, env: 'production', dispatcherPort: 3001 });
    // Redis Cluster keeps multi-key operations in one slot only when keys share a {hash tag}.
    for (const config of [api, dispatcher]) expect(config.queuePrefix).toMatch(/^\{[^}]+\}$/);
  });

  it('api: probes /health/ready and /health/live on PORT, never drops a replica in a rollout, drains before SIGKILL, is scraped on METRICS_PORT', () => {
    const config = apiConfig(objects);
    const api = find<Workload>(objects, 'Deployment', 'inbox-api');
    const [container] = api.spec.template.spec.containers;
    expect(container).toBeDefined();
    expect(container!.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(container!.livenessProbe?.httpGet?.path).toBe('/health/live');
    expect(portNumber(container!, container!.readinessProbe?.httpGet?.port)).toBe(config.port);
    expect(portNumber(container!, container!.livenessProbe?.httpGet?.port)).toBe(config.port);
    expect(api.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: expect.objectContaining({ maxUnavailable: 0 }),
    });
    const preStop = Number(container!.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    expect(api.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      preStop + seconds(config.shutdownTimeoutMs),
    );
    expect(api.spec.template.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(config.metricsPort),
      'prometheus.io/path': '/metrics',
    });
    expect(portNumber(container!, 'metrics')).toBe(config.metricsPort);
  });

  it('dispatcher: probes on DISPATCHER_PORT, drains before SIGKILL, is scraped on METRICS_PORT', () => {
    const config = dispatcherConfig(objects);
    const dispatcher = find<Workload>(objects, 'Deployment', 'inbox-dispatcher');
    const [container] = dispatcher.spec.template.spec.containers;
    expect(container).toBeDefined();
    expect(container!.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(container!.livenessProbe?.httpGet?.path).toBe('/health/live');
    expect(portNumber(container!, container!.readinessProbe?.httpGet?.port)).toBe(config.dispatcherPort);
    expect(portNumber(container!, container!.livenessProbe?.httpGet?.port)).toBe(config.dispatcherPort);
    expect(dispatcher.spec.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    expect(dispatcher.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      seconds(config.shutdownTimeoutMs),
    );
    expect(dispatcher.spec.template.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(config.metricsPort),
      'prometheus.io/path': '/metrics',
    });
    expect(portNumber(container!, 'metrics')).toBe(config.metricsPort);
  });

  it('every Deployment selects its own pods', () => {
    for (const d of workloads(objects).filter((w) => w.kind === 'Deployment')) {
      expect(selects(d.spec.selector?.matchLabels ?? {}, d.spec.template.metadata?.labels)).toBe(true);
    }
  });

  it('the Service selects the api pods (and nothing else) and targets their http port', () => {
    const service = find<Selecting>(objects, 'Service', 'inbox-api');
    const selector = service.spec.selector as Record<string, string>;
    const selected = workloads(objects).filter((w) => selects(selector, w.spec.template.metadata?.labels));
    expect(selected.map((w) => w.metadata.name)).toEqual(['inbox-api']);
    const apiContainer = selected[0]!.spec.template.spec.containers[0]!;
    // Never the metrics port: scrapes reach the pods directly, the public never does.
    for (const port of service.spec.ports ?? []) expect(portNumber(apiContainer, port.targetPort)).toBe(3000);
  });

  it('each HPA scales an existing Deployment, whose replica count lies within its bounds', () => {
    const hpas = objects.filter((o): o is Hpa => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas).toHaveLength(2);
    for (const hpa of hpas) {
      const target = find<Workload>(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
      expect(target.kind).toBe('Deployment');
      expect(hpa.spec.scaleTargetRef.apiVersion).toBe(target.apiVersion);
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(target.spec.replicas!);
      expect(target.spec.replicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    }
  });

  it('each PodDisruptionBudget covers exactly one Deployment', () => {
    const pdbs = objects.filter((o): o is Selecting => o.kind === 'PodDisruptionBudget');
    const deployments = workloads(objects).filter((w) => w.kind === 'Deployment');
    expect(pdbs).toHaveLength(deployments.length);
    for (const pdb of pdbs) {
      const matchLabels = (pdb.spec.selector as { matchLabels?: Record<string, string> }).matchLabels ?? {};
      expect(deployments.filter((d) => selects(matchLabels, d.spec.template.metadata?.labels))).toHaveLength(1);
    }
  });

  it('the migration Job runs the migrate script from the api image, once', () => {
    const job = find<Workload>(objects, 'Job', 'inbox-migrate');
    const api = find<Workload>(objects, 'Deployment', 'inbox-api');
    const [container] = job.spec.template.spec.containers;
    expect(container?.command).toEqual(['node', 'migrate.mjs']);
    expect(container?.image).toBe(api.spec.template.spec.containers[0]?.image);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    // The apps themselves never migrate: their containers keep the image's default command.
    for (const d of workloads(objects).filter((w) => w.kind === 'Deployment')) {
      for (const c of containersOf(d)) expect(c.command).toBeUndefined();
    }
  });
});

describe('k8s production overlay', () => {
  const production = rendered.production!;
  const dev = rendered.dev!;

  it('runs at least 3 replicas of each app, and its autoscalers never go below that', () => {
    for (const name of ['inbox-api', 'inbox-dispatcher']) {
      expect(find<Workload>(production, 'Deployment', name).spec.replicas).toBeGreaterThanOrEqual(3);
      expect(find<Hpa>(production, 'HorizontalPodAutoscaler', name).spec.minReplicas).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives the apps larger limits than dev', () => {
    const memoryMi = (q: string | undefined) => (q?.endsWith('Gi') ? parseFloat(q) * 1024 : parseFloat(q ?? '0'));
    for (const name of ['inbox-api', 'inbox-dispatcher']) {
      const limits = (objects: K8sObject[]) =>
        find<Workload>(objects, 'Deployment', name).spec.template.spec.containers[0]?.resources?.limits;
      expect(memoryMi(limits(production)?.memory)).toBeGreaterThan(memoryMi(limits(dev)?.memory));
    }
  });
});

describe('compose.yaml (laptops)', () => {
  interface ComposeService {
    image?: string;
    build?: { context: string; dockerfile: string };
    command?: string[];
    environment?: Record<string, string | number | boolean>;
    ports?: string[];
    depends_on?: Record<string, { condition: string }>;
  }
  const compose = parseYaml(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
  const services = compose.services;
  /** Compose's `${VAR:-default}` as it resolves with no .env file: the default. */
  const resolveEnv = (env: ComposeService['environment'] = {}) =>
    Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')]));

  it('has Postgres 15, Redis 7, the migration, the API and the dispatcher', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'dispatcher', 'migrate', 'postgres', 'redis']);
    expect(services.postgres?.image).toBe('postgres:15');
    expect(services.redis?.image).toBe('redis:7');
  });

  it.each([
    ['api', loadApiConfig, API_CONFIG_VARIABLES, { allowHttp: true, allowPrivateUrls: true }],
    ['dispatcher', loadDispatcherConfig, DISPATCHER_CONFIG_VARIABLES, { allowPrivateUrls: true }],
  ] as const)(
    '%s sets the secrets its app reads (and no others), and the app accepts its environment',
    (name, load, variables, laptopSwitches) => {
      const env = resolveEnv(services[name]?.environment);
      for (const key of SECRET_KEYS) expect(Boolean(env[key])).toBe(variables.includes(key));
      for (const key of Object.keys(env)) expect(CONFIG_VARIABLES).toContain(key);
      const config = load(env);
      expect(config.databaseUrl).toBe('postgres://postgres@postgres:5432/inbox');
      expect(config.redisUrl).toBe('redis://redis:6379/0');
      // Laptop-only switches: local http receivers are allowed here and nowhere else.
      expect(config).toMatchObject(laptopSwitches);
    },
  );

  it('migrate gets the database the apps use, and only variables the apps read', () => {
    const env = resolveEnv(services.migrate?.environment);
    for (const key of Object.keys(env)) expect(CONFIG_VARIABLES).toContain(key);
    expect(env.DATABASE_URL).toBe('postgres://postgres@postgres:5432/inbox');
  });

  it('marks its built-in secrets as dev-only and lets infra/.env override them', () => {
    const text = read('compose.yaml');
    expect(text).toMatch(/DEV-ONLY/);
    expect(text).toContain('INBOX_INTERNAL_TOKEN: ${INBOX_INTERNAL_TOKEN:-');
    expect(text).toContain('INBOX_SECRET_KEY: ${INBOX_SECRET_KEY:-');
  });

  it('runs the migration once before either app starts', () => {
    expect(services.migrate?.command).toEqual(['node', 'migrate.mjs']);
    expect(services.migrate?.build?.dockerfile).toBe('infra/docker/api.Dockerfile');
    for (const app of ['api', 'dispatcher']) {
      expect(services[app]?.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('builds each app from its Dockerfile with the repository root as context and publishes its port', () => {
    for (const [app, port] of [
      ['api', 3000],
      ['dispatcher', 3001],
    ] as const) {
      const build = services[app]?.build;
      expect(build).toEqual({ context: '..', dockerfile: `infra/docker/${app}.Dockerfile` });
      expect(existsSync(join(INFRA, build!.context, build!.dockerfile))).toBe(true);
      expect(services[app]?.ports).toContain(`${port}:${port}`);
    }
  });
});

describe.each(['api', 'dispatcher'])('docker/%s.Dockerfile', (app) => {
  const path = `docker/${app}.Dockerfile`;
  const text = existsSync(join(INFRA, path)) ? read(path) : '';
  /** The final stage: what ships. */
  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  const packageManager = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { packageManager: string })
    .packageManager;

  it('exists, with an ignore file beside it for the repository-root context', () => {
    expect(text).not.toBe('');
    expect(readFileSync(join(INFRA, `${path}.dockerignore`), 'utf8')).toMatch(/^\*\*\/node_modules$/m);
  });

  it('builds with the pinned pnpm from the lockfile and deploys only production dependencies', () => {
    expect(text).toContain(`npm i -g ${packageManager}`);
    expect(text).toContain('pnpm install --frozen-lockfile');
    expect(text).toContain(`pnpm turbo run build --filter @inbox/${app}...`);
    expect(text).toMatch(new RegExp(`pnpm --filter @inbox/${app} deploy --prod`));
  });

  it('ships a non-root, production runtime that starts the app and leaves health checks to the probes', () => {
    expect(runtime).toMatch(/^FROM node:20-(slim|alpine)/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    const user = runtime.match(/^USER (\S+)$/m)?.[1] ?? '';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(user).toMatch(/^\d+:\d+$/); // numeric, so Kubernetes' runAsNonRoot can verify it
    expect(runtime).toContain('CMD ["node", "dist/main.js"]');
    expect(text).not.toMatch(/^HEALTHCHECK/m);
  });
});

it('the api image carries the migrate script that the Job and compose run', () => {
  expect(read('docker/api.Dockerfile')).toContain('COPY infra/docker/migrate.mjs ./migrate.mjs');
  expect(existsSync(join(INFRA, 'docker/migrate.mjs'))).toBe(true);
});
