// Vietnamese messages of the `site` namespace.

export default {
  site: {
    role: {
      main: 'Điểm cầu chính',
      backup: 'Điểm cầu dự phòng',
      site: 'Điểm cầu',
    },
    roleShort: {
      main: 'Chính',
      backup: 'Dự phòng',
    },
    ok: 'Trực tuyến',
    stale: 'Mất tín hiệu',
    waiting: 'Chờ dữ liệu',
    rtt: 'RTT',
    loss: 'Mất gói',
    jitter: 'Jitter',
    video: 'Hình',
    resolution: 'Độ phân giải',
    audio: 'Âm thanh',
    fps: 'k/s',
    staleValue: 'Số liệu cũ — điểm cầu không còn gửi',
    heartbeat: 'Tín hiệu cuối',
    never: 'chưa nhận',
    secondsAgo: '{n} giây trước',
    minutesAgo: '{n} phút trước',
    hoursAgo: '{n} giờ trước',
    mains: 'Điện lưới',
    battery: 'Pin UPS {pct}% · {minutes} phút',
    upsLost: 'Không đọc được UPS',
    powerUnknown: 'Chưa rõ nguồn điện',
    mos: 'MOS',
  },
};
