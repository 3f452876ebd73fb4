const path = require('path');
const { task, src, dest } = require('gulp');

// tsc emits only JavaScript: copy each node's and credential's icons beside it in dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	),
);
