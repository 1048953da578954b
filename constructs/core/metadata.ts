/** Descriptive properties every registry object carries, as in Feast. */
export interface MetadataProps {
  /** Free text shown in the catalog. @default '' */
  readonly description?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /** Who to ask about this object, usually an e-mail. @default '' */
  readonly owner?: string;
}

export function metadataSpec(props: MetadataProps): { description: string; tags: Record<string, string>; owner: string } {
  return { description: props.description ?? '', tags: { ...props.tags }, owner: props.owner ?? '' };
}
