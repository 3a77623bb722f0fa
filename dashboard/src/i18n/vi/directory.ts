// Vietnamese messages of the `directory` namespace: the contacts' directory (Điều 10.3).

export default {
  directory: {
    title: 'Danh bạ cán bộ kỹ thuật',
    intro:
      'Họ tên, đơn vị, nhiệm vụ, điện thoại, thư điện tử của cán bộ kỹ thuật các điểm cầu (Điều 10.3 Quy chế), người chủ trì và đầu mối nhà mạng. Trang điểm cầu và thư báo sự cố đọc từ danh bạ này.',
    count: 'Số liên hệ: {n}',
    add: 'Thêm liên hệ',
    new: 'Liên hệ mới',
    editing: 'Sửa liên hệ: {name}',
    edit: 'Sửa',
    remove: 'Xóa',
    confirmRemove: 'Xóa {name} khỏi danh bạ?',
    removed: 'Đã xóa {name}.',
    saved: 'Đã lưu {name}.',
    none: 'Danh bạ chưa có liên hệ nào.',
    allSites: 'Mọi điểm cầu',
    filterSite: 'Điểm cầu',
    field: {
      name: 'Họ và tên',
      unit: 'Đơn vị',
      duty: 'Nhiệm vụ',
      phone: 'Điện thoại',
      email: 'Thư điện tử',
      site: 'Điểm cầu',
      kind: 'Vai trò',
    },
    kind: {
      technician: 'Cán bộ kỹ thuật',
      isp: 'Đầu mối nhà mạng',
      chair: 'Chủ trì cuộc họp',
    },
    invalid: {
      name: 'Hãy nhập họ và tên (tối đa 80 ký tự).',
      unit: 'Hãy nhập đơn vị công tác (tối đa 120 ký tự).',
      duty: 'Hãy nhập nhiệm vụ (tối đa 120 ký tự).',
      phone: 'Số điện thoại gồm chữ số, dấu cách, +, (, ), - (6 đến 20 ký tự).',
      email: 'Địa chỉ thư điện tử không hợp lệ.',
      site: 'Hãy chọn điểm cầu.',
    },
  },
};
