// Vietnamese: the operators' own words, and the first language of the interface.
export const vi = {
  wall: {
    title: 'Giám sát phòng trực tuyến',
    subtitle: 'Sở GD&ĐT Hòa Bình và các Trung tâm GDTX',
    sitesOnline: '{online}/{total} điểm cầu trực tuyến',
    feedLive: 'Dữ liệu trực tiếp',
    feedLost: 'Mất kết nối tới máy chủ giám sát',
  },
  site: {
    role: { main: 'Điểm cầu chính', backup: 'Điểm cầu dự phòng', site: 'Điểm cầu' },
    online: 'Trực tuyến',
    offline: 'Mất tín hiệu',
    waiting: 'Chờ dữ liệu',
    rtt: 'Độ trễ (RTT)',
    heartbeat: 'Tín hiệu cuối',
    never: 'chưa nhận',
    secondsAgo: '{n} giây trước',
    minutesAgo: '{n} phút trước',
    last15: '15 phút gần nhất',
  },
};

export type Messages = typeof vi;
