/** Fields that the SMS operations share. */
import type { IdParameter } from '../common.descriptions';

export const smsId: IdParameter = {
	name: 'id',
	displayName: 'SMS ID',
	example: 'MSG-1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D',
	source: 'SMS → Send',
};
