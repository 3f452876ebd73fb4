/** The Call ID that Get and Hang Up share. */
import type { IdParameter } from '../common.descriptions';

export const callId: IdParameter = {
	name: 'id',
	displayName: 'Call ID',
	example: 'CAL-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D',
	source: 'Call → Place',
};
