import { Construct } from 'constructs';
import { FeatureView } from '../core/feature-view';
import { problem, validateAtSynth } from '../core/validation';
import type { FeatureRepo } from '../repo/feature-repo';
import type { IDatabricksWorkspace } from './databricks-workspace';
import { Job } from './l1';

export interface MaterializationJobOptions {
  readonly workspace: IDatabricksWorkspace;
  /** Where the job reads the registry, e.g. RegistryPublisher's `registryUrl`. */
  readonly registryUrl: string;
  /** Quartz cron expression, in UTC. @default '0 5 * * * ?' (hourly, five past) */
  readonly schedule?: string;
  /** @default '15.4.x-scala2.12' */
  readonly sparkVersion?: string;
  /** @default 'Standard_D4ds_v5' */
  readonly nodeType?: string;
  /** @default 1 */
  readonly workers?: number;
  /** The materialization script on DBFS or in the workspace. @default 'dbfs:/featurestack/materialize.py' */
  readonly pythonFile?: string;
}

export interface DatabricksMaterializationJobProps extends MaterializationJobOptions {
  /** An online view whose batch source is in ADLS. */
  readonly view: FeatureView;
  /** Job name in the workspace. @default 'featurestack-materialize-<view name>' */
  readonly name?: string;
}

/**
 * A scheduled Databricks job that materializes one ADLS-backed view into the online
 * store with Spark, on its own job cluster.
 */
export class DatabricksMaterializationJob extends Construct {
  /** One job for each online view of the repository whose batch source is in ADLS. */
  static forOnlineAdlsViews(scope: Construct, repo: FeatureRepo, options: MaterializationJobOptions): DatabricksMaterializationJob[] {
    return repo
      .contents()
      .views.filter(isOnlineAdlsView)
      .map((view) => new DatabricksMaterializationJob(scope, `Materialize-${view.name}`, { ...options, view }));
  }

  readonly job: Job;

  constructor(scope: Construct, id: string, props: DatabricksMaterializationJobProps) {
    super(scope, id);
    const view = props.view;
    this.job = new Job(this, 'Resource', {
      provider: props.workspace.provider,
      name: props.name ?? `featurestack-materialize-${view.name}`,
      maxConcurrentRuns: 1,
      jobCluster: [
        {
          jobClusterKey: 'materialize',
          newCluster: {
            sparkVersion: props.sparkVersion ?? '15.4.x-scala2.12',
            nodeTypeId: props.nodeType ?? 'Standard_D4ds_v5',
            numWorkers: props.workers ?? 1,
          },
        },
      ],
      task: [
        {
          taskKey: 'materialize',
          jobClusterKey: 'materialize',
          sparkPythonTask: {
            pythonFile: props.pythonFile ?? 'dbfs:/featurestack/materialize.py',
            parameters: ['--manifest', props.registryUrl, '--feature-view', view.name, '--incremental'],
          },
        },
      ],
      schedule: { quartzCronExpression: props.schedule ?? '0 5 * * * ?', timezoneId: 'UTC' },
      tags: { featurestack_view: view.name },
    });
    validateAtSynth(this, () =>
      isOnlineAdlsView(view)
        ? []
        : [problem(this, `feature view "${view.name}" is not an online view with an ADLS source`, 'materialize only online views whose batch source is an AdlsSource')],
    );
  }
}

function isOnlineAdlsView(view: FeatureView): boolean {
  return view.online && view.source.batchSource.location.declaredAs === 'adls' && view.source.batchSource.location.lake?.kind === 'adls';
}
