/**
 * The `delivery_id` the trigger should give the item at `index` of a delivery, worked out here from
 * the bytes sent, independently of the node's code: base64url of the first 16 bytes of SHA-256.
 */
import { createHash } from 'node:crypto';

export function expectedDeliveryId(body: string | Buffer, index = 0): string {
	return `${createHash('sha256').update(body).digest().subarray(0, 16).toString('base64url')}:${index}`;
}
