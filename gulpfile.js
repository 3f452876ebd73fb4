const path = require('path');
const { task, src, dest } = require('gulp');

// tsc emits only JavaScript: copy each node's icons and codex file, and each credential's icons, beside them in dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist'))),
);
