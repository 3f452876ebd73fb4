/**
 * The words a user sees in both nodes' built descriptions, checked where n8n's linter cannot look
 * (fields assembled by helpers, options of collections and fixed collections): display names in
 * Title Case, US spelling, n8n 2.x's words, a description on every field and operation, and a
 * trigger subtitle that shows names rather than values.
 */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { CheckMobi } from '../../nodes/CheckMobi/CheckMobi.node';
import { CheckMobiTrigger } from '../../nodes/CheckMobiTrigger/CheckMobiTrigger.node';

type Entry = INodeProperties | INodePropertyOptions | INodePropertyCollection;

interface Text {
	/** Where it is, e.g. "CheckMobi › Options › Timeout". */
	path: string;
	entry: Entry;
	/** Whether it is a field (as opposed to a choice of a dropdown). */
	field: boolean;
}

/** Every field and every dropdown choice of a node, however deeply nested. */
function walk(description: INodeTypeDescription): Text[] {
	const found: Text[] = [];
	const visit = (entries: Entry[], path: string, field: boolean) => {
		for (const entry of entries) {
			const label = 'displayName' in entry ? entry.displayName : entry.name;
			const here = `${path} › ${label}`;
			found.push({ path: here, entry, field });
			if ('options' in entry && Array.isArray(entry.options)) {
				// Collections hold fields; fixed collections hold groups of fields; options hold choices.
				const nestedFields = entry.type === 'collection' || entry.type === 'fixedCollection';
				visit(entry.options as Entry[], here, nestedFields);
			}
			if ('values' in entry && Array.isArray(entry.values)) visit(entry.values, here, true);
		}
	};
	visit(description.properties, description.displayName, true);
	return found;
}

const nodes = [new CheckMobi().description, new CheckMobiTrigger().description];
const texts = nodes.flatMap(walk);

/** Words n8n's Title Case keeps lowercase inside a name. */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'per', 'the', 'to', 'vs', 'with']);

function titleCaseProblems(name: string): string[] {
	const list = name.split(/\s+/);
	return list
		.map((word, index) => ({ word: word.replace(/^[("]+|[)",.:]+$/g, ''), inside: index > 0 && index < list.length - 1 }))
		.filter(({ word, inside }) => {
			if (!/^[A-Za-z]/.test(word)) return false;
			if (inside && SMALL_WORDS.has(word.toLowerCase())) return word !== word.toLowerCase();
			// A brand written with a capital inside (iOS) keeps its own case.
			return /^[a-z]/.test(word) && !/[A-Z]/.test(word);
		})
		.map(({ word }) => word);
}

/** What a user reads of an entry: its names, description, hint, placeholder and action. */
function words(entry: Entry): string {
	const parts: unknown[] = [
		'displayName' in entry ? entry.displayName : undefined,
		entry.name,
		'description' in entry ? entry.description : undefined,
		'hint' in entry ? entry.hint : undefined,
		'placeholder' in entry ? entry.placeholder : undefined,
		'action' in entry ? entry.action : undefined,
	];
	return parts.filter((part) => typeof part === 'string').join(' | ');
}

/** A display name or a choice's name (fields' `name` is the internal key). */
function shownName(text: Text): string | undefined {
	if (text.field && 'type' in text.entry && text.entry.type === 'notice') return undefined;
	if ('displayName' in text.entry) return text.entry.displayName;
	return text.field ? undefined : text.entry.name;
}

test('walks every field and choice of both nodes (the walk itself finds what it must)', () => {
	const paths = texts.map((text) => text.path);
	expect(paths).toEqual(expect.arrayContaining(['CheckMobi › Options › Timeout', 'CheckMobi Trigger › Events › SMS Status']));
	expect(paths.some((path) => /Actions › Action › Loop$/.test(path))).toBe(true);
	expect(texts.length).toBeGreaterThan(150);
});

test('display names and choices are in Title Case', () => {
	const problems = texts.flatMap((text) => {
		const name = shownName(text);
		const wrong = name ? titleCaseProblems(name) : [];
		return wrong.length ? [`${text.path}: ${wrong.join(', ')}`] : [];
	});
	expect(problems).toEqual([]);
	// The check itself: both mistakes it exists for are caught.
	expect(titleCaseProblems('Send As Typed')).toEqual(['As']);
	expect(titleCaseProblems('use Server Hang-Up')).toEqual(['use']);
	expect(titleCaseProblems('Numbers From')).toEqual([]);
	expect(titleCaseProblems('iOS')).toEqual([]);
});

test('US spelling and n8n 2.x words, one way to write hang-up', () => {
	const rules: Array<[RegExp, string]> = [
		[/\b\w*(recognis|organis|authoris|customis|initialis|normalis|prioritis|summaris|minimis|maximis|utilis|analys(?:e|ed|ing)\b)/i, 'British spelling'],
		[/\b(colour|behaviour|favour|centre|licence|cancelled|labelled|catalogue)\b/i, 'British spelling'],
		[/\bactivat/i, 'n8n 2.x publishes workflows'],
		[/\bHangup\b/, 'Hang Up (the action) or Hang-Up (the event)'],
	];
	const problems = texts.flatMap((text) =>
		rules.filter(([rule]) => rule.test(words(text.entry))).map(([, why]) => `${text.path}: ${why}`),
	);
	expect(problems).toEqual([]);
});

test('every field and every operation has a description; operations have an action', () => {
	const missing = texts.flatMap((text) => {
		const { entry } = text;
		if ('type' in entry && entry.type === 'notice') return [];
		// The resource and operation dropdowns are described by their choices.
		if (text.field && 'name' in entry && (entry.name === 'resource' || entry.name === 'operation')) return [];
		// A fixed collection's group is described by its parent field; "Add Option" lists describe each option.
		if ('values' in entry || ('type' in entry && entry.type === 'collection')) return [];
		const problems: string[] = [];
		if (text.field && !('description' in entry && entry.description)) problems.push(`${text.path}: no description`);
		if (/› Operation › [^›]+$/.test(text.path) && !('action' in entry && entry.action)) problems.push(`${text.path}: no action`);
		if (/› Operation › [^›]+$/.test(text.path) && !('description' in entry && entry.description)) problems.push(`${text.path}: no description`);
		return problems;
	});
	expect(missing).toEqual([]);
});

test('no notice shows on a node before anything is chosen; warnings stay for what is switched off', () => {
	const notices = texts.filter((text) => 'type' in text.entry && text.entry.type === 'notice');
	const alwaysShown = notices.filter((text) => {
		const show = (text.entry as INodeProperties).displayOptions?.show ?? {};
		return Object.keys(show).every((key) => key === 'resource' || key === 'operation' || key === '@version');
	});
	expect(alwaysShown.map((text) => text.path)).toEqual([]);
});

test("the trigger's subtitle names the selected events", () => {
	const trigger = new CheckMobiTrigger();
	const node = { id: 't', name: 'T', type: 'test.trigger', typeVersion: 1.1, position: [0, 0] as [number, number], parameters: { events: ['sms.status', 'call.status'] } };
	const nodeTypes = { getByName: () => trigger, getByNameAndVersion: () => trigger, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes as never });
	expect(workflow.expression.getSimpleParameterValue(node, trigger.description.subtitle as string, 'internal', {})).toBe('SMS Status, Call Status');
});
