import { decisionsStage } from '../decisions/index.js';
import { consentStage } from '../messaging/index.js';
import type { PipelineStage } from '../profiles/index.js';
import type { JourneyStage } from '../journeys/index.js';
import type { SegmentStage } from '../segments/index.js';

/**
 * The event pipeline after the profile stage, in order. Each stage runs in the profile
 * batch's transaction on what the one before returned (see `PipelineStage`):
 *
 * 1. segments: membership of the segments the events can affect; hands on the Segment
 *    Entered/Exited events it appended and the facts they changed;
 * 2. journeys: the person's new events, Segment Entered/Exited included (hence after
 *    segments), to their runs and to journey triggers; steps' messages go to the outbox;
 * 3. consent: statements in identify traits;
 * 4. decisions: clicks, redemptions and orders as rewards of the decisions they name.
 * 5. experiments: a merged profile's experiment assignments follow it (earliest kept).
 *
 * To add a stage, write a `PipelineStage` in its module and put it in this list where what
 * it reads is ready; `extra` (tests, benchmarks) goes last.
 */
export function pipelineStages(parts: {
  segments: SegmentStage;
  journeys: JourneyStage;
  experiments: PipelineStage;
  extra?: readonly PipelineStage[] | undefined;
}): PipelineStage[] {
  return [
    parts.segments.stage,
    parts.journeys.stage,
    consentStage,
    decisionsStage,
    parts.experiments,
    ...(parts.extra ?? []),
  ];
}
