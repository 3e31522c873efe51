// Load a --chrome-trace file in speedscope (npm package) in headless
// Chromium and report what speedscope shows: how many tracks (profiles)
// it made, and per track how many distinct frames its sandwich table
// lists, fault frames among them.
//
//   node speedscope-load.js SPEEDSCOPE_RELEASE_DIR TRACE.json SHOT.png
//
// Prints one JSON object; exits 1 if the page never shows a profile.
const http = require('http');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [root, trace, shot] = process.argv.slice(2);

function serve(req, res) {
	const p = decodeURIComponent(req.url.split(/[?#]/)[0]);
	const file = p === '/trace.json' ? trace :
		path.join(root, p === '/' ? 'index.html' : path.normalize(p));
	fs.readFile(file, (err, data) => {
		res.writeHead(err ? 404 : 200);
		res.end(err ? '' : data);
	});
}

async function toolbar(page) {
	return page.evaluate(() => document.body.innerText.split('\n')[1] || '');
}

async function sandwichRows(page) {
	return page.evaluate(() => document.body.innerText.split('\n')
		.filter((l) => / fault \{|^\w+ \{"function"/.test(l.trim())));
}

/*
 * The sandwich rows once rendering has settled: the same non-empty list
 * on three polls 250 ms apart (a busy machine draws late), or whatever
 * is there after 30 s.
 */
async function settledRows(page) {
	let last = null, same = 0;
	for (let t = 0; t < 120; t++) {
		await page.waitForTimeout(250);
		const rows = await sandwichRows(page);
		const key = JSON.stringify(rows);
		same = rows.length > 0 && key === last ? same + 1 : 0;
		last = key;
		if (same >= 2)
			return rows;
	}
	return JSON.parse(last);
}

async function main(port) {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
		       '--disable-background-networking', '--disable-sync',
		       '--disable-component-update'],
	});
	const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	const url = `http://127.0.0.1:${port}`;
	await page.goto(`${url}/index.html#profileURL=${url}/trace.json`);
	await page.waitForFunction(() => /\(\d+\/\d+\)/.test(document.body.innerText),
				   null, { timeout: 30000 });
	await page.screenshot({ path: shot });
	const first = await toolbar(page);
	const n = Number(first.match(/\((\d+)\/(\d+)\)/)[2]);
	const tracks = [];
	/* the sandwich table renders only the rows in view: make room */
	await page.setViewportSize({ width: 1400, height: 16000 });
	await page.keyboard.press('3');		/* sandwich view */
	for (let i = 0; i < n; i++) {
		/* the toolbar names the track before the table is drawn: wait
		 * for track i + 1, then for a table that stops changing */
		await page.waitForFunction((want) =>
			(document.body.innerText.split('\n')[1] || '').includes(want),
			`(${i + 1}/${n})`, { timeout: 30000 });
		const name = await toolbar(page);
		const rows = await settledRows(page);
		tracks.push({
			name,
			frames: rows.length,
			fault_frames: rows.filter((r) => / fault \{/.test(r)).length,
		});
		await page.keyboard.press('n');	/* next profile */
	}
	await browser.close();
	return { tracks: n, per_track: tracks };
}

const server = http.createServer(serve).listen(0, '127.0.0.1', () => {
	main(server.address().port).then((r) => {
		console.log(JSON.stringify(r));
		server.close();
	}, (e) => {
		console.log(JSON.stringify({ error: String(e) }));
		server.close();
		process.exitCode = 1;
	});
});
