// A racer for raceProcesses' own tests: reports its index and round, or
// fails, or never joins, as RACER_MODE says.
import { joinRace } from 'current-attributes/testing';

const index = Number(process.env.RACE_INDEX);
if (process.env.RACER_MODE !== 'never-joins') {
  joinRace(async (round, { checkpoint }) => {
    if (process.env.RACER_MODE === 'throws' && index === 1) throw new Error(`racer ${index} failed`);
    await checkpoint('halfway');
    return { index, round };
  });
} else {
  setTimeout(() => undefined, 60_000);
}
