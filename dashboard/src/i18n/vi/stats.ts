// Vietnamese messages of the `stats` namespace.

export default {
  stats: {
    title: 'Chẩn đoán kết nối',
    every: 'cập nhật mỗi {s} giây',
    site: 'Điểm cầu',
    framesDecoded: 'Khung hình đã giải mã',
    fps: 'Khung/giây',
    resolution: 'Độ phân giải',
    freezes: 'Lần đứng hình',
    jitter: 'Jitter hình (ms)',
    loss: 'Mất gói (%)',
    bitrate: 'Tốc độ (kbps)',
    audioPackets: 'Gói âm thanh nhận',
    audioLevel: 'Mức âm',
    thisSite: 'Điểm cầu này (gửi đi)',
    thisDevice: 'Kết nối của máy này',
    rtt: 'Độ trễ RTT',
    path: 'Đường truyền',
    sentVideo: 'Hình gửi',
    sentAudio: 'Tiếng gửi',
    noData: 'Chưa có số liệu.',
  },
};
