import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux; NaN
 * elsewhere). Per request, it says what the server spends, which a noisy machine moves
 * far less than requests per second.
 */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}
