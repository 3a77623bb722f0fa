// Vietnamese messages of the `desk` namespace.

export default {
  desk: {
    dateTime: {
      placeholder: 'ngày/tháng/năm giờ:phút',
      select: 'Chọn',
      cancel: 'Hủy',
      now: 'Bây giờ',
    },
    product: 'Phòng trực tuyến Sở GD&ĐT Hòa Bình',
    connecting: 'Đang kết nối tới máy chủ hội nghị…',
    connected: 'Đã kết nối',
    reconnectIn: 'Mất kết nối tới máy chủ hội nghị — thử lại sau {s} giây',
    reconnectNow: 'Mất kết nối tới máy chủ hội nghị — đang thử lại…',
    noToken: 'Thiếu mã truy cập. Hãy mở trang bằng đường liên kết có mã (?token=…) do Tổ CNTT Sở cấp.',
    tokenRefused: 'Máy chủ hội nghị từ chối mã truy cập ({reason}). Hãy xin đường liên kết mới.',
    wrongRole: 'Mã truy cập này dành cho “{role}”, không dùng được cho trang này.',
    dismiss: 'Đóng',
    node: {
      main: 'Máy chủ chính (Sở)',
      backup: 'Máy chủ dự phòng (TTGDTX Thành phố)',
    },
    detail: 'Chi tiết',
    roles: {
      operator: 'Cán bộ kỹ thuật điều khiển',
      chair: 'Chủ trì',
      site: 'Máy điểm cầu',
      seat: 'Đại biểu (chỉ xem)',
      wall: 'Màn hình giám sát',
    },
  },
};
