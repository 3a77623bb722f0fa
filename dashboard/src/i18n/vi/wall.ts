// Vietnamese messages of the `wall` namespace.

export default {
  wall: {
    title: 'Giám sát phòng trực tuyến',
    subtitle: 'Sở GD&ĐT Hòa Bình và các Trung tâm GDTX',
    sitesOnline: '{online}/{total} điểm cầu trực tuyến',
    feedLive: 'Dữ liệu trực tiếp',
    feedLost: 'Mất kết nối tới máy chủ giám sát',
    feedRetry: 'Mất kết nối tới máy chủ giám sát — thử lại sau {s} giây',
    feedConnecting: 'Đang kết nối tới máy chủ giám sát…',
    signedOut: 'Phiên đăng nhập đã hết — chuyển tới trang đăng nhập',
    topology: 'Sơ đồ kết nối',
    node: {
      main: 'Máy chủ chính',
      backup: 'Máy chủ dự phòng',
    },
    nodeState: {
      up: 'hoạt động',
      degraded: 'suy giảm',
      down: 'ngừng hoạt động',
      disabled: 'chưa cấu hình',
      unknown: 'chưa rõ',
    },
    alerts: 'Cảnh báo đang mở',
    alertsNone: 'Không có cảnh báo nào',
    alertsMore: 'và {n} cảnh báo khác',
    since: 'từ {time}',
    meeting: 'Cuộc họp đang diễn ra',
    meetingNone: 'Không có cuộc họp nào đang diễn ra',
    meetingMore: 'và {n} cuộc họp khác',
    loadTest: {
      heading: 'Đang kiểm tra tải',
      title: 'Kiểm tra tải',
      kind: 'Thử tải, không phải cuộc họp',
      note: 'Chỗ ngồi và điểm cầu giả lập đang tạo tải cho máy chủ SFU; không điểm cầu nào đang họp.',
    },
    carriedBy: {
      main: 'Trên máy chủ chính',
      backup: 'Trên máy chủ dự phòng',
    },
    floor: 'Đang phát biểu',
    floorNone: 'Chưa điểm cầu nào được phát biểu',
    queue: 'Hàng chờ',
    queueEmpty: 'Không có yêu cầu',
    next: 'Cuộc họp kế tiếp theo kế hoạch',
    nextNone: 'Chưa có cuộc họp nào trong kế hoạch',
    startsIn: {
      days: 'còn {n} ngày',
      hours: 'còn {n} giờ',
      minutes: 'còn {n} phút',
    },
  },
};
