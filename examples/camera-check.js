'use strict';
// A manual check for a real camera: lists the cameras, opens one with getUserMedia() (the first,
// or the deviceId given), counts the frames that arrive for three seconds, applies a second
// mode with applyConstraints(), and stops. Exit code 0 when frames came in both modes.
//
//   node examples/camera-check.js [deviceId] [--width N]
const { mediaDevices, nonstandard } = require('..');

async function frames(track, ms) {
  const sink = new nonstandard.RTCVideoSink(track);
  let count = 0;
  let size = '';
  sink.onframe = ({ frame }) => {
    count++;
    size = `${frame.width}x${frame.height}`;
  };
  await new Promise((resolve) => setTimeout(resolve, ms));
  sink.stop();
  return { count, size, fps: Math.round((count * 1000) / ms) };
}

async function main() {
  const args = process.argv.slice(2);
  const widthAt = args.indexOf('--width');
  const width = widthAt >= 0 ? Number(args.splice(widthAt, 2)[1]) : 640;
  const deviceId = args[0];
  const cameras = (await mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
  if (cameras.length === 0) {
    console.log('no camera found (enumerateDevices() lists no videoinput)');
    process.exitCode = 2;
    return;
  }
  for (const camera of cameras) {
    const { width: w, height: h, frameRate } = camera.getCapabilities();
    console.log(
      `${camera.deviceId}  '${camera.label}'  width ${w.min}-${w.max}, height ${h.min}-${h.max}, up to ${frameRate.max} fps`,
    );
  }
  const stream = await mediaDevices.getUserMedia({ video: { deviceId, width } });
  const [track] = stream.getVideoTracks();
  console.log('opened:', JSON.stringify(track.getSettings()));
  const first = await frames(track, 3000);
  console.log(`frames: ${first.count} in 3 s (${first.fps} fps), ${first.size}`);
  await track.applyConstraints({ width: { ideal: 320 }, frameRate: { max: 10 } });
  console.log('after applyConstraints:', JSON.stringify(track.getSettings()));
  const second = await frames(track, 3000);
  console.log(`frames: ${second.count} in 3 s (${second.fps} fps), ${second.size}`);
  track.stop();
  process.exitCode = first.count > 0 && second.count > 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
});
