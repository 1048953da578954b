import type { IConstruct } from 'constructs';
import { FeatureView } from '../core/feature-view';
import { problem } from '../core/validation';
import { HdfsSource } from '../sources/hdfs-source';
import { WORKING_DIRECTORY_LAKE } from '../sources/batch-source';
import type { IHdfsLake } from '../lakes/lake';
import type { RepoContents } from './contents';
import { conflictingHdfsFolders } from './hdfs-plan';

/** Checks that need the whole repository: names, references, HDFS folders. */
export function checkRepo(repo: IConstruct, contents: RepoContents): string[] {
  return [
    ...duplicateNames('entity', contents.entities.map((e) => [e, e.name])),
    ...duplicateNames('source', contents.sources.map((s) => [s, s.name])),
    ...duplicateNames('feature view', [...contents.views, ...contents.onDemandViews].map((v) => [v, v.name])),
    ...duplicateNames('feature service', contents.services.map((s) => [s, s.name])),
    ...duplicateNames('lake', contents.lakes.map((l) => [l, l.lakeName])),
    ...workingDirectoryClash(contents),
    ...unknownReferences(repo, contents),
    ...hdfsChecks(repo, contents),
  ];
}

function duplicateNames(kind: string, named: [IConstruct, string][]): string[] {
  const first = new Map<string, IConstruct>();
  const errors: string[] = [];
  for (const [construct, name] of named) {
    const previous = first.get(name);
    if (previous) errors.push(problem(construct, `${kind} name "${name}" is already used by ${previous.node.path}`, `give one of them another name`));
    else first.set(name, construct);
  }
  return errors;
}

function workingDirectoryClash(contents: RepoContents): string[] {
  const clash = contents.usesWorkingDirectory && contents.lakes.find((l) => l.lakeName === WORKING_DIRECTORY_LAKE);
  return clash
    ? [problem(clash, `lake name "${WORKING_DIRECTORY_LAKE}" is reserved for FileSources without a lake`, 'give the lake another name')]
    : [];
}

function unknownReferences(repo: IConstruct, contents: RepoContents): string[] {
  const errors: string[] = [];
  const where = `declare it under ${repo.node.path}`;
  for (const view of contents.views) {
    for (const entity of view.entities) {
      if (!contents.entities.includes(entity)) errors.push(problem(view, `entity "${entity.name}" (${entity.node.path}) is not declared in this feature repo`, where));
    }
    for (const source of new Set([view.source, view.source.batchSource])) {
      if (!contents.sources.includes(source)) errors.push(problem(view, `source "${source.name}" (${source.node.path}) is not declared in this feature repo`, where));
    }
  }
  for (const service of contents.services) {
    for (const p of service.projections) {
      if (!(contents.views as readonly unknown[]).includes(p.view) && !(contents.onDemandViews as readonly unknown[]).includes(p.view)) errors.push(problem(service, `feature view "${p.view.name}" (${p.view.node.path}) is not declared in this feature repo`, where));
    }
  }
  for (const view of contents.onDemandViews) {
    for (const source of [...view.featureViews, ...view.requestSources]) {
      const declared = source instanceof FeatureView ? contents.views.includes(source) : contents.sources.includes(source);
      if (!declared) errors.push(problem(view, `source "${source.name}" (${source.node.path}) is not declared in this feature repo`, where));
    }
  }
  return errors;
}

function hdfsChecks(repo: IConstruct, contents: RepoContents): string[] {
  const hdfsLakes = contents.lakes.filter((l): l is IHdfsLake => l.kind === 'hdfs');
  if (hdfsLakes.length > 1) {
    return [problem(repo, `uses ${hdfsLakes.length} HDFS lakes (${hdfsLakes.map((l) => l.node.path).join(', ')})`, 'use one HdfsLake per stack; the HDFS plan covers one cluster')];
  }
  if (hdfsLakes.length === 0) return [];
  return conflictingHdfsFolders(hdfsLakes[0], hdfsSourcesOf(contents)).map(([a, b]) =>
    problem(b, `its HDFS folder is also ${a.node.path}'s, with a different owner, group or permission`, 'give both sources the same access, or separate folders'),
  );
}

export function hdfsSourcesOf(contents: RepoContents): HdfsSource[] {
  return contents.sources.filter((s): s is HdfsSource => s instanceof HdfsSource && s.location.lake?.kind === 'hdfs');
}
