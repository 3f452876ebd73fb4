/** What the operations that send something (SMS → Send, Call → Place, Validation → Request) read alike from their Options. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { clientIpOption, notificationCallbackField, platformField } from './common.descriptions';
import { readNotificationCallback, readPlatform } from './inputs';

/** The body fields `notification_callback` and `platform`, each only when set. */
export async function readCallbackAndPlatform(this: IExecuteFunctions, options: IDataObject, itemIndex: number): Promise<IDataObject> {
	const fields: IDataObject = {};
	const callback = await readNotificationCallback.call(this, options.notificationCallback, itemIndex);
	if (callback) fields.notification_callback = callback;
	if (options.platform !== undefined) fields.platform = readPlatform.call(this, options.platform, itemIndex);
	return fields;
}

/** The Client IP, Notification Callback and Platform options, each described for the operation. */
export function sendingOptionFields(descriptions: { clientIp: string; notificationCallback: string; platform: string }): INodeProperties[] {
	return [
		{ ...clientIpOption, description: descriptions.clientIp },
		notificationCallbackField(descriptions.notificationCallback),
		{ ...platformField, description: descriptions.platform },
	];
}
