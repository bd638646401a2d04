/**
 * What the emulator holds, in the words tests use, for the unit and the integration tier alike:
 * each platform's state (read at each call, since a suite starts and resets its emulator after
 * these are made), and the seed that bulk-sharing tests start from.
 */
import type { Principal } from '../../src/core/model';
import type { ElevenLabsMember } from '../emulator/platforms/elevenlabs';
import type { Emulator } from '../emulator/server';

/** `el()`, `gb()`, `ca()`: the emulated ElevenLabs, GitBook and Confident AI data now. */
export function emulatorState(emulator: () => Emulator) {
  return {
    el: () => emulator().state('elevenlabs'),
    gb: () => emulator().state('gitbook'),
    ca: () => emulator().state('confident'),
  };
}

/** An emulated ElevenLabs member as a principal to share with. */
export const userPrincipal = (m: ElevenLabsMember): Principal => ({
  kind: 'user',
  id: m.user_id,
  name: m.first_name ?? m.email,
  email: m.email,
});

/**
 * Seeds bulk sharing on one ElevenLabs resource: no cap on how many principals it may hold, and the
 * first `count` members who can be given a share of it (not its creator, not an owner).
 */
export function seedSharing(emulator: Emulator, resourceId: string, count: number): Principal[] {
  const el = emulator.state('elevenlabs');
  el.principalCap = 10_000;
  const creator = el.resources.find((r) => r.id === resourceId)?.creator_user_id;
  return el.members
    .filter((m) => m.user_id !== creator && !m.is_owner)
    .slice(0, count)
    .map(userPrincipal);
}
