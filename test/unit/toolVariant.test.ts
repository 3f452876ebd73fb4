import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { expectToolScope } from '../helpers/toolScope';

describe('the AI agent tool variant (built description, named as n8n names the tool)', () => {
	it('hides Concurrency, Pace to Account Limits, Timeout, Client IP, the bulk lookups and Loop 0', () => {
		const node = new CheckMobi().description;
		expectToolScope({ ...node, name: `${node.name}Tool` }, node);
	});
});
