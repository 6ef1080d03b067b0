import { readRegistryTag, assignmentTag, unassignmentTag } from './tag-names.js';

/** Who asked for a stage change with a ChatOps command, and where (the comment's URL). */
export interface StageRequester {
  by: string;
  link?: string;
}

/** A stage assignment (or withdrawal) to tag. */
export interface StageAssignmentRequest {
  action: 'assign' | 'unassign';
  model: string;
  version: string;
  stage: string;
  /** The commit the version was registered on: GTO reads the version from it. */
  commit: string;
  /** Highest counter on any tag of the model (ModelRegistry.lastNumber, or one this plan took already). */
  lastNumber: number;
  /** Why, in a sentence (a canary that passed, a release): the message's body. */
  reason?: string;
  /** Provenance lines ("Manifest: …", "Merged-by: …", "Pull-request: …"), written before Requested-by. */
  trailers?: readonly string[];
  requestedBy?: StageRequester;
  /** The push or run that made the tag, so a re-run finds its own work. */
  trigger?: string;
}

/** The annotated tag that records a stage change. */
export interface StageAssignmentTag {
  tag: string;
  number: number;
  commit: string;
  message: string;
}

/** The trailer that ties a tag to the push that made it. */
export const triggerLine = (trigger: string) => `Trigger: ${trigger}`;

/** The trailer that names who asked for a change with a ChatOps command. */
export const requestedByLine = (requester: StageRequester) =>
  `Requested-by: ${requester.by}${requester.link ? ` ${requester.link}` : ''}`;

/**
 * Plans the one GTO tag that assigns a version to a stage (`name#stage#N`)
 * or withdraws it (`name#stage!#N`), N being one more than the highest
 * counter on any of the model's tags, as `gto assign` numbers it. Release
 * planning, `modelgate promote`/`deprecate` and the app's `/promote` all
 * write their stage tags through here, so every stage tag has the same
 * message: a title, the reason, then the trailers (`Requested-by:` when a
 * person asked, `Trigger:` last).
 */
export function planStageAssignment(request: StageAssignmentRequest): StageAssignmentTag {
  const number = request.lastNumber + 1;
  const { model, version, stage } = request;
  const tag =
    request.action === 'assign' ? assignmentTag(model, stage, number) : unassignmentTag(model, stage, number);
  const title =
    request.action === 'assign'
      ? `Assign ${model} ${version} to ${stage}`
      : `Withdraw ${model} ${version} from ${stage}`;
  const trailers = [
    ...(request.trailers ?? []),
    ...(request.requestedBy ? [requestedByLine(request.requestedBy)] : []),
    ...(request.trigger ? [triggerLine(request.trigger)] : []),
  ];
  const message = [title, request.reason, trailers.join('\n')].filter(Boolean).join('\n\n');
  return { tag, number, commit: request.commit, message };
}

/**
 * The highest counter on any tag in `model`'s name among `tags` (0 if none):
 * registrations, deregistrations, deprecations and stage tags alike, readable
 * or not, as GTO's `name_tag` counts. For callers that see only tag names
 * (the GitHub API lists refs); a local clone has it as ModelRegistry.lastNumber.
 */
export function highestCounter(model: string, tags: Iterable<string>): number {
  let highest = 0;
  for (const tag of tags) {
    const reading = readRegistryTag(tag);
    if (reading.kind === 'foreign') continue;
    const [name, number] =
      reading.kind === 'registry' ? [reading.tag.name, reading.tag.number] : [reading.name, reading.number];
    if (name === model && number !== undefined) highest = Math.max(highest, number);
  }
  return highest;
}
