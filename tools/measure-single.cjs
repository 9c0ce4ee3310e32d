// Measures the single file as written (gzip+base64 payloads) against the
// same file with plain base64 payloads: raw bytes and gzip -9 bytes.
const fs = require('fs'), zlib = require('zlib');
const html = fs.readFileSync(process.argv[2], 'utf8');
const plain = html.replace(/(<script type="application\/octet-stream" id="[^"]+") data-encoding="gzip">([\s\S]*?)<\/script>/g,
  (m, open, body) => {
    const bytes = zlib.gunzipSync(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
    return `${open}>\n${bytes.toString('base64').replace(/(.{4096})/g, '$1\n')}\n</script>`;
  });
const gz = (s) => zlib.gzipSync(Buffer.from(s), { level: 9 }).length;
const br = (s) => zlib.brotliCompressSync(Buffer.from(s)).length;
console.log(`as written (gzip+base64 payloads): ${Buffer.byteLength(html)} B raw, ${gz(html)} B gzip -9, ${br(html)} B brotli`);
console.log(`plain base64 payloads:             ${Buffer.byteLength(plain)} B raw, ${gz(plain)} B gzip -9, ${br(plain)} B brotli`);
