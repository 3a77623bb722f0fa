// The loopback UDP socket the scenarios send their figures to.
import { createSocket } from 'node:dgram';
import { parseFigureDatagram, type FigureDatagram } from '../figure-datagram.ts';

export interface FigureCollector {
  port: number;
  close(): Promise<void>;
}

export async function startFigureCollector(onFigure: (figure: FigureDatagram) => void): Promise<FigureCollector> {
  const socket = createSocket('udp4');
  socket.on('message', (msg) => {
    const figure = parseFigureDatagram(msg.toString('utf8'));
    if (figure) onFigure(figure);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // Many seats report at once while they join: room for bursts.
  socket.setRecvBufferSize(4 * 1024 * 1024);
  return {
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
