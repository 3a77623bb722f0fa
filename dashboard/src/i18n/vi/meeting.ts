// Vietnamese messages of the `meeting` namespace.

export default {
  meeting: {
    kinds: {
      hop: 'Họp',
      'hoi-nghi': 'Hội nghị',
      'giao-ban': 'Giao ban',
      'tap-huan': 'Tập huấn',
      'sinh-hoat-chuyen-mon': 'Sinh hoạt chuyên môn',
      'du-gio': 'Dự giờ',
      'thi-giao-vien-gioi': 'Thi giáo viên giỏi',
    },
    speaking: 'Đang phát biểu: {site}',
    nobodySpeaking: 'Chưa điểm cầu nào được phát biểu',
    removed: 'Điểm cầu đã rời cuộc họp: {reason}',
    replaced: 'Một kết nối mới của cùng điểm cầu đã thay thế trang này; trang không tự vào lại.',
    closed: 'Cuộc họp đã kết thúc: {reason}',
    rejoin: 'Vào lại',
    startedAt: 'Bắt đầu lúc {time}',
    auto: 'Tự động',
  },
};
