import type { MatchingSettings } from '../config';

export const FAULT_POINT_REACHED = 'FAULT_POINT_REACHED';

/**
 * A named crash point of a run. Does nothing unless FAULT_PAUSE_AT names it: then the process announces it on
 * stdout and never continues, so a fault test can SIGKILL it exactly there (with its locks and jobs as they are).
 */
export async function faultPoint(config: Pick<MatchingSettings, 'FAULT_PAUSE_AT'>, point: string): Promise<void> {
  if (config.FAULT_PAUSE_AT !== point) return;
  process.stdout.write(`${FAULT_POINT_REACHED} ${point}\n`);
  await new Promise<never>(() => undefined);
}
